package dev.gazette.subscriber.transfer;

/**
 * The import's SQL, named, in the order a batch runs it. Raw JDBC (COPY and arrays need it), so parameters are
 * {@code ?}; the comment on each statement names them by position.
 */
final class ImportStatements {

    private ImportStatements() {
    }

    /** The previous batch's rows, in the same transaction. */
    static final String DROP_STAGE = "drop table if exists import_stage";

    /** One batch's rows, gone at the latest with the transaction: nothing outlives the import on a pooled connection. */
    static final String CREATE_STAGE = """
            create temp table import_stage (row_number int, email text, email_key text, name text, topics text,
                status text, consent_at timestamptz, source text, hash text, frequency text, timezone text) on commit drop""";

    /** Fed with ImportRows.Staged.values(), as CSV. */
    static final String COPY_STAGE = """
            copy import_stage (row_number, email, email_key, name, topics, status, consent_at, source, hash, frequency,
                timezone)
            from stdin with (format csv, null '')""";

    /** Without statistics the planner takes the staging table for large and scans subscriber in full. */
    static final String ANALYZE_STAGE = "analyze import_stage";

    /** Suppressed addresses go to the report, not to the list. 1: import id. */
    static final String REPORT_SUPPRESSED = """
            insert into subscriber_import_issue (import_id, row_number, email, reason)
            select ?, s.row_number, s.email, 'suppressed: ' || lower(p.reason)
            from import_stage s join suppression p on p.email_hash = s.hash
            on conflict do nothing""";

    /** Addresses the batch brings, suppressed ones aside. */
    static final String COUNT_DISTINCT = """
            select count(distinct email_key) from import_stage s
            where not exists (select 1 from suppression p where p.email_hash = s.hash)""";

    /** Of those, the ones already on the list (a dry run counts instead of merging). */
    static final String COUNT_KNOWN = """
            select count(distinct s.email_key) from import_stage s join subscriber sub on sub.email_key = s.email_key
            where not exists (select 1 from suppression p where p.email_hash = s.hash)""";

    /** What the skipped foreign-key trigger of subscriber.import_id would take on the import row. 1: import id. */
    static final String LOCK_IMPORT = "select id from subscriber_import where id = ? for key share";

    /**
     * The merge: upserts the staged readers (the last row of an address wins; a known reader keeps its status and
     * gains a name) and their topics, writes each reader's history entry of the import, and returns how many
     * addresses were already known. A known reader keeps their own frequency and time zone; topics the file names that
     * do not exist are left out (ImportTopics reports them). The topic rows are locked FOR KEY SHARE as the skipped
     * foreign-key triggers would. 1: default frequency, 2: default time zone, 3: consent time when the row has none,
     * 4: import id, 5: confirmation time, 6: unsubscription time, 7: created_at, 8: updated_at, 9: history detail,
     * 10: history time, 11: the same detail (a reader repeated in a later batch of this import gets no second entry).
     */
    static final String MERGE = """
            with topics as materialized (
                select id, slug from topic
                where slug in (select trim(w) from import_stage s
                               cross join lateral unnest(string_to_array(s.topics, ';')) as w where s.topics is not null)
                for key share),
            upserted as (
                insert into subscriber (email, email_key, name, status, all_topics, frequency, timezone, consent_source,
                    consent_at, import_id, source_label, confirmed_at, unsubscribed_at, created_at, updated_at)
                select distinct on (email_key) email, email_key, name, status, topics is null, coalesce(frequency, ?),
                    coalesce(timezone, ?), 'IMPORT',
                    coalesce(consent_at, cast(? as timestamptz)), ?, source,
                    case when status = 'ACTIVE' then coalesce(consent_at, cast(? as timestamptz)) end,
                    case when status = 'UNSUBSCRIBED' then cast(? as timestamptz) end,
                    cast(? as timestamptz), cast(? as timestamptz)
                from import_stage s
                where not exists (select 1 from suppression p where p.email_hash = s.hash)
                order by email_key, row_number desc
                on conflict (email_key) do update set name = coalesce(excluded.name, subscriber.name),
                    updated_at = excluded.updated_at
                returning id, email_key, (xmax = 0) as inserted),
            wanted as materialized (
                select distinct u.id as subscriber_id, t.id as topic_id, u.inserted from upserted u
                join import_stage s on s.email_key = u.email_key and s.topics is not null
                cross join lateral unnest(string_to_array(s.topics, ';')) as w(topic_slug)
                join topics t on t.slug = trim(w.topic_slug)),
            -- A reader created by this statement has no topics yet, and no other transaction can see it: a plain
            -- insert, cheaper than on conflict (about a quarter less for this step on 200,000 rows).
            new_topics as (
                insert into subscriber_topic (subscriber_id, topic_id)
                select subscriber_id, topic_id from wanted where inserted),
            known_topics as (
                insert into subscriber_topic (subscriber_id, topic_id)
                select subscriber_id, topic_id from wanted where not inserted
                on conflict do nothing),
            history as (
                insert into subscriber_event (subscriber_id, type, detail, created_at)
                select u.id, 'IMPORTED', ?, cast(? as timestamptz) from upserted u
                where u.inserted or not exists (select 1 from subscriber_event e
                                                where e.subscriber_id = u.id and e.type = 'IMPORTED' and e.detail = ?))
            select count(*) filter (where not inserted) from upserted""";

    static final String COUNT_UNSUBSCRIBED = "select count(*) from import_stage where status = 'UNSUBSCRIBED'";

    /** Readers the file marks unsubscribed. 1: unsubscription time, 2: updated_at. */
    static final String UNSUBSCRIBE = """
            update subscriber set status = 'UNSUBSCRIBED', unsubscribed_at = ?, updated_at = ?
            where email_key in (select email_key from import_stage where status = 'UNSUBSCRIBED')
              and status in ('ACTIVE', 'PENDING')""";

    /** ...and suppressed, so that no later import or form brings them back. 1: note, 2: created_at, 3: updated_at. */
    static final String SUPPRESS_UNSUBSCRIBED = """
            insert into suppression (email_hash, email, reason, note, created_at, updated_at)
            select distinct on (hash) hash, email, 'UNSUBSCRIBED', ?, ?, ? from import_stage where status = 'UNSUBSCRIBED'
            on conflict (email_hash) do nothing""";

    /** A topic the file names that did not exist. 1: import id, 2: slug, 3: rows naming it, 4: whether it was created. */
    static final String UNKNOWN_TOPIC = """
            insert into subscriber_import_topic (import_id, slug, row_count, created) values (?, ?, ?, ?)
            on conflict do nothing""";

    /** The unknown topics of an import, most named first. 1: import id. */
    static final String UNKNOWN_TOPICS = """
            select slug, row_count, created from subscriber_import_topic where import_id = ? order by row_count desc, slug""";

    /** A row of the per-row report. 1: import id, 2: row number, 3: address as given, 4: reason. */
    static final String REPORT_PROBLEM = """
            insert into subscriber_import_issue (import_id, row_number, email, reason) values (?, ?, ?, ?)
            on conflict do nothing""";

    /** The per-row report, in file order. 1: import id (reportLines appends "limit ?", 2: the number of rows). */
    static final String REPORT = """
            select row_number, email, reason from subscriber_import_issue where import_id = ? order by row_number""";
}
