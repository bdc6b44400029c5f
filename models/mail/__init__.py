"""E-mail: the sending account, messages, templates, SMTP sending and what is recorded."""
