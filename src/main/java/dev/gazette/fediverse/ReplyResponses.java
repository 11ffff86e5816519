package dev.gazette.fediverse;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import dev.gazette.article.web.ArticleResponses;

/** The approved fediverse replies to an article, as its public page shows them. */
@ApplicationScoped
public class ReplyResponses implements ArticleResponses {

    private final Replies replies;

    ReplyResponses(Replies replies) {
        this.replies = replies;
    }

    @Override
    public List<Response> approved(long articleId) {
        return replies.approved(articleId).stream().map(r -> new Response(r.authorName(), r.authorHandle(), r.authorUrl(),
                r.contentHtml(), r.publishedAt() != null ? r.publishedAt() : r.receivedAt())).toList();
    }
}
