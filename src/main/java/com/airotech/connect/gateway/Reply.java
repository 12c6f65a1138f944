package com.airotech.connect.gateway;

/** A status and a JSON body. */
record Reply(int status, Object body) {
    static Reply ok(Object body) { return new Reply(200, body); }
    static Reply created(Object body) { return new Reply(201, body); }
}
