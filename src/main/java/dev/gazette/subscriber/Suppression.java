package dev.gazette.subscriber;

import java.util.Optional;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Table;

import dev.gazette.common.BaseEntity;

/**
 * An address that is never mailed, matched by keyed hash. The address itself is kept unless the reader was erased.
 */
@Entity
@Table(name = "suppression")
public class Suppression extends BaseEntity {

    @Column(name = "email_hash", nullable = false, unique = true, length = 64)
    public String emailHash;

    @Column(length = 320)
    public String email;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false, length = 20)
    public SuppressionReason reason;

    @Column(length = 500)
    public String note;

    public static Optional<Suppression> findByHash(String hash) {
        return find("emailHash", hash).firstResultOptional();
    }
}
