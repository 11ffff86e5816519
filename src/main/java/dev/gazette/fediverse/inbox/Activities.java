package dev.gazette.fediverse.inbox;

import jakarta.inject.Singleton;

import com.fasterxml.jackson.databind.JsonNode;

import dev.gazette.fediverse.Followers;

/**
 * What a verified activity does: {@code Follow} and its {@code Undo} go to {@link Follows}; a {@code Create},
 * {@code Update} or {@code Delete} of a Note replying to an article to {@link ReplyActivities}; {@code Like} and
 * {@code Announce} of an article, and their {@code Undo}, to {@link Reactions}; a {@code Delete} of the sender's own
 * actor removes it as a follower, its keys, replies and reactions. Anything else is ignored. Each activity id is
 * handled once ({@link HandledActivities}). Runs on the inbox's background worker, never on a request thread (a follow
 * or a reply fetches the sender's actor).
 */
@Singleton
public class Activities {

    private final HandledActivities handled;
    private final Follows follows;
    private final ReplyActivities replies;
    private final Reactions reactions;
    private final Followers followers;
    private final RemoteKeys keys;
    private final java.time.Clock clock;

    Activities(HandledActivities handled, Follows follows, ReplyActivities replies, Reactions reactions, Followers followers,
            RemoteKeys keys, java.time.Clock clock) {
        this.handled = handled;
        this.follows = follows;
        this.replies = replies;
        this.reactions = reactions;
        this.followers = followers;
        this.keys = keys;
        this.clock = clock;
    }

    /** Whether an activity id was already handled. */
    public boolean seen(String activityId) {
        return handled.seen(activityId);
    }

    /**
     * Applies a verified activity from {@code actor}.
     *
     * @param actorDocument the actor's document when the key fetch already brought it, or null
     */
    public void handle(JsonNode activity, String actor, JsonNode actorDocument) {
        String id = activity.path("id").asText();
        String type = activity.path("type").asText();
        JsonNode object = activity.path("object");
        switch (type) {
            case "Follow" -> follows.follow(activity, id, actor, actorDocument);
            case "Undo" -> handled.once(id, () -> undo(object, actor));
            case "Create" -> replies.create(activity, id, actor, actorDocument);
            case "Update" -> replies.update(activity, id, actor);
            case "Delete" -> handled.once(id, () -> delete(Inbox.idOf(object), actor));
            case "Like", "Announce" -> handled.once(id,
                    () -> reactions.add(type, Inbox.idOf(object), actor, id, clock.instant()));
            default -> handled.once(id, () -> { });
        }
    }

    private void undo(JsonNode object, String actor) {
        String undone = Inbox.idOf(object);
        if (!object.isObject()) {
            // only the undone activity's id: a follow or a reaction of this actor by that id
            follows.undo(actor, undone);
            reactions.undo(actor, undone, "", null);
            return;
        }
        if (!actor.equals(Inbox.idOf(object.path("actor")))) {
            return; // an actor undoes only its own activities
        }
        String type = object.path("type").asText();
        switch (type) {
            case "Follow" -> follows.undo(actor, undone);
            case "Like", "Announce" -> reactions.undo(actor, undone, type, Inbox.idOf(object.path("object")));
            default -> { }
        }
    }

    private void delete(String object, String actor) {
        if (object == null) {
            return;
        }
        if (actor.equals(object)) {
            followers.remove(actor);
            keys.forget(actor);
            replies.removeActor(actor);
            reactions.removeActor(actor);
        } else {
            replies.delete(object, actor);
        }
    }
}
