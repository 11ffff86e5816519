-- A newsletter's look and legal footer: an accent colour for its heading rule and links, a footer text, and the
-- sender's postal address, which bulk-mail rules (the US CAN-SPAM Act) require in commercial mail.
alter table newsletter add column accent_color varchar(7);
alter table newsletter add column footer_text varchar(1000);
alter table newsletter add column postal_address varchar(500);
