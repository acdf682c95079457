"""aivet: AI-vendor due diligence with evidence behind every answer."""
