package com.airotech.connect.connector;

/** The answer to a registration or rotation: the connector and the credential shown once. */
public record Registration(Connector connector, IssuedCredential issued) {}
