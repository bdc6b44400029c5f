"""Alembic environment: runs on the connection Relance hands over, or on the configured URL."""

from alembic import context
from sqlalchemy import create_engine
from sqlmodel import SQLModel

from models.store import tables  # noqa: F401

config = context.config
target_metadata = SQLModel.metadata


def run() -> None:
    """Run migrations online, on the caller's connection when there is one."""
    connection = config.attributes.get("connection")
    if connection is not None:
        context.configure(
            connection=connection, target_metadata=target_metadata, render_as_batch=True
        )
        with context.begin_transaction():
            context.run_migrations()
        return
    engine = create_engine(config.get_main_option("sqlalchemy.url"))
    with engine.connect() as conn:
        context.configure(connection=conn, target_metadata=target_metadata, render_as_batch=True)
        with context.begin_transaction():
            context.run_migrations()


run()
