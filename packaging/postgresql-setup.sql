-- Relance on a PostgreSQL server: the shared office's database and its roles.
-- Run once as a PostgreSQL superuser, e.g.:  sudo -u postgres psql -f postgresql-setup.sql
-- Then each person's machine: Fichier > Base partagée… (or `relance --db
-- postgresql://marie@serveur/relance`), with the password in the system keyring or ~/.pgpass,
-- never in a settings file.
--
-- Roles:
--   relance_owner  owns the database and its tables; logs in only to create and upgrade the
--                  schema (the first `relance migrate-to`, or the first start after an update).
--   relance_users  the office's people (a group): read and write the ledger's rows, nothing
--                  more (no table created or dropped, no other database reached).
-- Change the passwords below; add one LOGIN role per person (the history shows who did what).

CREATE ROLE relance_owner LOGIN PASSWORD 'changez-moi-proprietaire';
CREATE ROLE relance_users NOLOGIN;
CREATE ROLE marie LOGIN PASSWORD 'changez-moi-marie' IN ROLE relance_users;

CREATE DATABASE relance OWNER relance_owner ENCODING 'UTF8' TEMPLATE template0;
REVOKE ALL ON DATABASE relance FROM PUBLIC;
GRANT CONNECT, TEMPORARY ON DATABASE relance TO relance_users;

\connect relance
-- Only the owner creates objects; the users use them.
ALTER SCHEMA public OWNER TO relance_owner;
REVOKE ALL ON SCHEMA public FROM PUBLIC;
GRANT USAGE ON SCHEMA public TO relance_users;
-- Tables and id counters the owner makes now or later (migrations) are open to the users:
-- rows read, added and changed; DELETE only because a contact or a draft invoice with no
-- history may be removed (Relance itself never deletes what has a history).
ALTER DEFAULT PRIVILEGES FOR ROLE relance_owner IN SCHEMA public
    GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO relance_users;
ALTER DEFAULT PRIVILEGES FOR ROLE relance_owner IN SCHEMA public
    GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO relance_users;
-- Tables already there (the schema was created before this script ran):
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO relance_users;
GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO relance_users;
