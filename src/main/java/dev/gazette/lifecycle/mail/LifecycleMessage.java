package dev.gazette.lifecycle.mail;

import java.time.Instant;
import java.util.Optional;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Table;

import dev.gazette.common.BaseEntity;

/** A message of the reader lifecycle that editors write: the welcome mail sent after a reader confirms. */
@Entity
@Table(name = "lifecycle_message")
public class LifecycleMessage extends BaseEntity {

    /** What the message is for. */
    public enum Kind {
        WELCOME
    }

    @Enumerated(EnumType.STRING)
    @Column(nullable = false, length = 20)
    public Kind kind;

    /** A template: {@code {name}} and {@code {site}} may be used. */
    @Column(nullable = false, length = 300)
    public String subject;

    /** Markdown with {@code {name}}, {@code {site}}, {@code {topics}}, {@code {preferencesUrl}}, {@code {unsubscribeUrl}}. */
    @Column(name = "body_markdown", nullable = false)
    public String bodyMarkdown;

    @Column(nullable = false)
    public boolean enabled;

    /** Readers confirmed from then on get it; null while it was never switched on. */
    @Column(name = "enabled_since")
    public Instant enabledSince;

    public static Optional<LifecycleMessage> find(Kind kind) {
        return find("kind", kind).firstResultOptional();
    }
}
