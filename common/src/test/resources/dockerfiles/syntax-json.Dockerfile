{"syntax": "ghcr.io/acme/frontend:1", "image": "alpine"}
