package com.airotech.connect.connector;

/** Mints (or accepts) the credential of one authentication method. */
public interface CredentialIssuer {
    AuthMethod method();

    IssuedCredential issue(CredentialOwner owner, CredentialOptions options);
}
