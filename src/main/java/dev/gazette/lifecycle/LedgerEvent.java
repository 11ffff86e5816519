package dev.gazette.lifecycle;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import org.hibernate.annotations.Immutable;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/**
 * An event as {@code EventLog} wrote it, read for the delivery log (its data is read as text, by the dispatcher); never changed.
 */
@Entity
@Immutable
@Table(name = "event")
public class LedgerEvent extends PanacheEntityBase {

    @Id
    public Long id;

    @Column(name = "public_id", nullable = false)
    public UUID publicId;

    @Column(nullable = false, length = 40)
    public String type;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;
}
