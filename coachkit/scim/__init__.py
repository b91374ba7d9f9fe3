"""SCIM 2.0 provisioning: people and teams kept in step with an identity provider."""
