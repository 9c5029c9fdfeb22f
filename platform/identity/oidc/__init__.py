"""The OpenID Connect provider: authlib's server classes fed with requests the web layer has already read."""
