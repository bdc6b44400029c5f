"""Letter wizards: shared pages, reminder, notice, plan, output, batch."""
