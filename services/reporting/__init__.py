"""Reporting: read models of every topic, and the KPIs contact centers are judged by."""
