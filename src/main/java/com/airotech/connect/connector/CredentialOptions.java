package com.airotech.connect.connector;

import com.airotech.connect.common.ApiException;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * Public inputs a method may take when a credential is issued: an RSA public key, or a CSR, and
 * for mtls the client certificate's lifetime in days (null = the default, 397).
 */
public record CredentialOptions(String publicKeyPem, String csrPem, Integer certificateDays) {
    public static final CredentialOptions NONE = new CredentialOptions(null, null, null);
    private static final int MAX_PEM = 16 * 1024;

    public CredentialOptions {
        if (publicKeyPem != null && (publicKeyPem.isBlank() || publicKeyPem.length() > MAX_PEM)) {
            throw ApiException.invalidRequest("Field 'public_key_pem' must be a PEM public key.");
        }
        if (csrPem != null && (csrPem.isBlank() || csrPem.length() > MAX_PEM)) {
            throw ApiException.invalidRequest("Field 'csr_pem' must be a PEM certificate signing request.");
        }
        if (certificateDays != null && (certificateDays < 1 || certificateDays > 3650)) {
            throw ApiException.invalidRequest("Field 'certificate_days' must be between 1 and 3650.");
        }
    }

    public CredentialOptions(String publicKeyPem, String csrPem) { this(publicKeyPem, csrPem, null); }

    public static CredentialOptions fromJson(JsonNode body) {
        Integer days = body.hasNonNull("certificate_days") ? RegistrationRequest.intField(body, "certificate_days", 0) : null;
        return new CredentialOptions(RegistrationRequest.text(body, "public_key_pem"), RegistrationRequest.text(body, "csr_pem"), days);
    }
}
