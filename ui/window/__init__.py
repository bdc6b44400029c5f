"""The main window, its tabs (invoices, clients, to-do, aged balance) and the client page."""
