"""Bulk import of a CPTS directory from CSV or XLSX, and the row report.

The steps, each in its own module:

- ``columns``: the documented columns (one table, also shown on the import page);
- ``reading``: a CSV or XLSX file -> a table of text cells with their line numbers;
- ``parsing``: one cell -> a typed value, or a French message;
- ``rows``: one row -> the values of its organisation, location and service;
- ``validation``: every row's verdict, checks across rows and against the directory;
- ``applying``: the writes, through ``directory.services``, in one transaction;
- ``report``: the row report as CSV;
- ``storage``: the uploaded file, its progress and its verdicts between two requests.
"""
