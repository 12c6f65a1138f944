package com.airotech.connect.connector;

import com.airotech.connect.common.ApiException;
import com.fasterxml.jackson.databind.JsonNode;

/** Public inputs a method may take when a credential is issued: an RSA public key, or a CSR. */
public record CredentialOptions(String publicKeyPem, String csrPem) {
    public static final CredentialOptions NONE = new CredentialOptions(null, null);
    private static final int MAX_PEM = 16 * 1024;

    public CredentialOptions {
        if (publicKeyPem != null && (publicKeyPem.isBlank() || publicKeyPem.length() > MAX_PEM)) {
            throw ApiException.invalidRequest("Field 'public_key_pem' must be a PEM public key.");
        }
        if (csrPem != null && (csrPem.isBlank() || csrPem.length() > MAX_PEM)) {
            throw ApiException.invalidRequest("Field 'csr_pem' must be a PEM certificate signing request.");
        }
    }

    public static CredentialOptions fromJson(JsonNode body) {
        return new CredentialOptions(RegistrationRequest.text(body, "public_key_pem"), RegistrationRequest.text(body, "csr_pem"));
    }
}
