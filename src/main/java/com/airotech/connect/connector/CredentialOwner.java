package com.airotech.connect.connector;

/** The connector a credential belongs to; sealed material is bound to exactly this owner. */
public record CredentialOwner(String tenantId, String connectorId, String credentialId) {
    /** The associated data of sealed credential material. */
    public String associatedData() {
        return "connector-credential\n" + tenantId + "\n" + connectorId + "\n" + credentialId;
    }
}
