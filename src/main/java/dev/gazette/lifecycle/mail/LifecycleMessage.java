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
        /** Sent once after a reader confirms. */
        WELCOME,
        /** A step of the onboarding sequence, sent {@code delayDays} after confirmation at the reader's send time. */
        STEP,
        /** The "still want this?" mail to readers inactive for the re-engagement policy's days. */
        REENGAGE
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

    /** STEP: days after confirmation. */
    @Column(name = "delay_days")
    public Integer delayDays;

    /** STEP: how many of the latest articles of the reader's topics end the message (0: none). */
    @Column(name = "latest_articles", nullable = false)
    public int latestArticles;

    /** REENGAGE: days without activity after which a reader gets the message (30 to 1000). */
    @Column(name = "inactive_days")
    public Integer inactiveDays;

    /** REENGAGE: days a reader has to answer before being unsubscribed as inactive (1 to 90). */
    @Column(name = "grace_days")
    public Integer graceDays;

    /** The message of this kind; for WELCOME and REENGAGE, which exist once. */
    public static Optional<LifecycleMessage> find(Kind kind) {
        return find("kind", kind).firstResultOptional();
    }
}
