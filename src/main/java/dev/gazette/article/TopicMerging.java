package dev.gazette.article;

import jakarta.persistence.EntityManager;

/**
 * Fired inside the transaction of a merge, before the merged topic is removed: each feature that keeps its own list
 * of topics (readers, newsletters, channels) gives {@code intoId} to whatever had {@code fromId}, keeping one row where
 * both were present. Observe it synchronously ({@code @Observes}), so the move commits or rolls back with the merge.
 */
public record TopicMerging(long fromId, long intoId) {

    /**
     * The move for a feature whose topic list is a join table: every owner linked to the merged topic is linked to the
     * remaining one (the merged topic's rows go with it when it is removed).
     *
     * @param table       the join table, with a {@code topic_id} column
     * @param ownerColumn the column naming the owner (a constant of the calling feature, never input)
     */
    public void copyLinks(EntityManager em, String table, String ownerColumn) {
        em.createNativeQuery("insert into " + table + " (" + ownerColumn + ", topic_id) select " + ownerColumn
                + ", :into from " + table + " where topic_id = :from on conflict do nothing")
                .setParameter("from", fromId).setParameter("into", intoId).executeUpdate();
    }
}
