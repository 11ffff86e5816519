package dev.gazette.lifecycle.reengage;

/**
 * The SQL that says which readers are due a re-engagement round, shared by planning and the editor's "would touch"
 * count, so the two cannot disagree. A round is open from its planning until the reader is active again (a counted
 * click or "keep" after it was planned) or it is closed with an outcome; a round that failed for good blocks a new one
 * for the inactive days, so an address that cannot be mailed is not tried every run.
 */
final class Rounds {

    /*
     * A reader's last sign of life: a counted click or "keep" (last_active_at), their latest confirmation (a reader
     * who subscribes again starts afresh), or when they were added (an imported list's old consent dates do not make
     * it inactive on arrival). Nobody counts as inactive before Gazette measured activity for the whole period:
     * lifecycle_settings.activity_since is when this version was installed (no row: no such limit).
     */
    /** Readers (alias {@code s}) due a round: {@code :cutoff} is now minus the inactive days. */
    static final String DUE = """
            s.status = 'ACTIVE' and s.confirmed_at is not null
            and greatest(s.last_active_at, s.confirmed_at, s.created_at) < :cutoff
            and coalesce((select c.activity_since from lifecycle_settings c where c.id = 1), '-infinity') < :cutoff
            and (s.paused_until is null or s.paused_until <= :now)
            and not exists (select 1 from lifecycle_mail l join lifecycle_message lm on lm.id = l.message_id
                where lm.kind = 'REENGAGE' and l.subscriber_id = s.id and l.outcome is null
                and ((l.status in ('PENDING', 'RETRY', 'SENT') and greatest(s.last_active_at, s.confirmed_at, s.created_at) <= l.created_at)
                     or (l.status = 'FAILED' and l.created_at > :cutoff)))""";

    private Rounds() {
    }
}
