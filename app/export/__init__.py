"""Export-ready listings: English details, HS code and packaging, an indicative USD price, export quotes."""
