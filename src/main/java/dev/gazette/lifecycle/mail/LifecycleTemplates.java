package dev.gazette.lifecycle.mail;

import dev.gazette.common.config.SiteConfig;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

/** The frame of lifecycle mail: the editor's message, then the reader's links and the publisher's postal address. */
final class LifecycleTemplates {

    @CheckedTemplate(basePath = "LifecycleMail")
    static class Templates {
        static native TemplateInstance html(String site, String siteUrl, String bodyHtml, String preferencesUrl,
                String unsubscribeUrl, String postalAddress);

        static native TemplateInstance text(String site, String siteUrl, String bodyText, String preferencesUrl,
                String unsubscribeUrl, String postalAddress);
    }

    private LifecycleTemplates() {
    }

    private static String address(SiteConfig site) {
        return site.postalAddress().map(a -> String.join(" · ", a.lines().map(String::strip).filter(l -> !l.isEmpty()).toList()))
                .orElse(null);
    }

    static String html(SiteConfig site, String bodyHtml, String preferencesUrl, String unsubscribeUrl) {
        return Templates.html(site.name(), site.baseUrl(), bodyHtml, preferencesUrl, unsubscribeUrl, address(site)).render();
    }

    static String text(SiteConfig site, String bodyText, String preferencesUrl, String unsubscribeUrl) {
        return Templates.text(site.name(), site.baseUrl(), bodyText, preferencesUrl, unsubscribeUrl, address(site)).render();
    }
}
