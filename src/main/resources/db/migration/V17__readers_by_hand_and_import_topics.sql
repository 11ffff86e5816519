-- Readers added by hand in the editor UI: the editor records how the reader gave consent (in person, on paper...).
alter table subscriber drop constraint subscriber_consent_source_check;
alter table subscriber add constraint subscriber_consent_source_check
    check (consent_source in ('FORM', 'IMPORT', 'API', 'EDITOR'));

-- An import may create the topics its file names that do not exist yet (off by default).
alter table subscriber_import add column create_topics boolean not null default false;

-- The topics an import's file named that did not exist: how many rows named each, and whether the import created it.
create table subscriber_import_topic (
    import_id bigint       not null references subscriber_import (id) on delete cascade,
    slug      varchar(100) not null,
    row_count integer      not null,
    created   boolean      not null,
    primary key (import_id, slug)
);
