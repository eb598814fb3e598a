"""A course of visits: answers carried forward, what changed, progress over time.

Pure functions on plain data (answers dicts, Screening objects): no Flask,
no database. The patient record and follow-up links live in the models.
"""
