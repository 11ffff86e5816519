package dev.gazette.admin.security;

import io.quarkus.security.identity.request.BaseAuthenticationRequest;

/**
 * The editor UI's session cookie, as presented by a browser.
 */
public class SessionAuthenticationRequest extends BaseAuthenticationRequest {

    private final String secret;

    public SessionAuthenticationRequest(String secret) {
        this.secret = secret;
    }

    public String secret() {
        return secret;
    }
}
