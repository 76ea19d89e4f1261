"""Forms of the web interface (DSFR pages). Domain rules stay in the domain apps; forms parse and validate input."""
