package dev.gazette.admin.web;

import java.time.Clock;
import java.time.Instant;

import jakarta.enterprise.context.RequestScoped;

import dev.gazette.common.SiteTime;
import dev.gazette.common.security.Roles;
import io.quarkus.security.identity.SecurityIdentity;

/**
 * The signed-in editor of the current request, as every editor page needs it for its frame ({@link AdminChrome}).
 */
@RequestScoped
public class AdminContext {

    private final SecurityIdentity identity;
    private final AdminCsrf csrf;
    private final SiteTime time;
    private final Clock clock;

    AdminContext(SecurityIdentity identity, AdminCsrf csrf, SiteTime time, Clock clock) {
        this.identity = identity;
        this.csrf = csrf;
        this.time = time;
        this.clock = clock;
    }

    /** An instant in words as the editor's pages print it ("Fri 4 Dec, 15:06 CET"), for text built in code. */
    public String when(Instant instant) {
        return time.shortDateTime(instant, clock.instant());
    }

    /** Now, by the application's clock. */
    public Instant now() {
        return clock.instant();
    }

    /** The site's clock: how editors read and enter times ({@code gazette.site.time-zone}). */
    public SiteTime time() {
        return time;
    }

    /** The frame of a page in the given section (the current item of the navigation). */
    public AdminChrome chrome(String section) {
        String user = identity.getPrincipal().getName();
        return new AdminChrome(user, identity.hasRole(Roles.ADMIN), csrf.token(identity), section);
    }

    public String username() {
        return identity.getPrincipal().getName();
    }
}
