"""The rules as pure functions: rates, penalties, deadlines, stages, policy, plans, aging."""
