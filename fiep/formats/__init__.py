"""Date, time and number formats for US readers, in English and in Spanish.

Django's Spanish formats are Spain's (``01/12/2026`` for December 1, 24-hour times, ``,``
as the decimal point); a US family reads ``01/12/2026`` as January 12. Both languages here
write dates month first or in words, times in 12-hour form and numbers with a decimal
point (``../shared/spec/spanish-glossary.md``, "Dates for US families").
"""
