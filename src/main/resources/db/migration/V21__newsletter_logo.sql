-- A newsletter's logo, shown at the top of every digest: an uploaded image's logo variant (at most 480×160, uncropped).
alter table newsletter add column logo_url varchar(2000);
