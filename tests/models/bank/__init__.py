"""Tests of the bank statement readers and matching."""
