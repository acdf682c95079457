"""The question bank and the questionnaires issued from it (PDF form, spreadsheet, vendor link)."""
