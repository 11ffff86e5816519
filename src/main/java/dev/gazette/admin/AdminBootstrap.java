package dev.gazette.admin;


import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import dev.gazette.common.security.Roles;
import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.runtime.configuration.ConfigurationException;

/**
 * On the first start, creates an administrator so that someone can sign in and create API tokens.
 */
@Singleton
public class AdminBootstrap {

    private final AdminConfig config;
    private final UserService users;

    AdminBootstrap(AdminConfig config, UserService users) {
        this.config = config;
        this.users = users;
    }

    void onStart(@Observes StartupEvent event) {
        if (!config.bootstrap() || users.adminExists()) {
            return;
        }
        boolean generated = config.password().isEmpty();
        String password = config.password().orElseGet(UserService::generatePassword);
        if (password.length() < UserService.MIN_PASSWORD_LENGTH) {
            throw new ConfigurationException("GAZETTE_ADMIN_PASSWORD (gazette.admin.password) must be at least "
                    + UserService.MIN_PASSWORD_LENGTH + " characters.");
        }
        if (UserService.tooLongForBcrypt(password)) {
            throw new ConfigurationException("GAZETTE_ADMIN_PASSWORD (gazette.admin.password) must be at most "
                    + UserService.MAX_PASSWORD_BYTES + " bytes in UTF-8: bcrypt ignores the rest.");
        }
        try {
            users.create(config.username(), password, Roles.ADMIN);
        } catch (RuntimeException e) {
            // Another instance on the same database created it first.
            if (users.adminExists()) {
                return;
            }
            throw e;
        }
        if (generated) {
            // Printed once: the next start finds the administrator and prints nothing.
            Log.warnf("%n%n    Created the administrator '%s' with the password: %s%n"
                    + "    It is shown only this once. Set GAZETTE_ADMIN_PASSWORD to choose it yourself.%n",
                    config.username(), password);
        } else {
            Log.infof("Created the administrator '%s' with the password from GAZETTE_ADMIN_PASSWORD", config.username());
        }
    }
}
