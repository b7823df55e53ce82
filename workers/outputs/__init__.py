"""What results become: W3C Web Annotation JSON-LD (w3c) and one self-contained HTML page (html_report)."""
