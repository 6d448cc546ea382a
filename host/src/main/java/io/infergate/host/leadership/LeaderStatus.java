package io.infergate.host.leadership;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Optional;

/**
 * One replica's view of an election, for the admin routes: whether it leads, since when, by which mechanism, who
 * holds the lock when it does not (as PostgreSQL reports the holder's session), and the last error.
 *
 * @param election {@code single-node} (SQLite ledger: always the leader) or {@code postgresql-advisory-lock}
 */
public record LeaderStatus(LeaderRole role, boolean leader, String election, Optional<LeaderLockKey> lockKey,
    Optional<Instant> since, Optional<String> holder, Optional<String> lastError) {

  public ObjectNode toJson() {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.put("role", role.label());
    o.put("leader", leader);
    o.put("election", election);
    lockKey.ifPresent(k -> o.put("lockKey", k.value()));
    o.put("since", since.map(Instant::toString).orElse(null));
    o.put("holder", holder.orElse(null));
    o.put("lastError", lastError.orElse(null));
    return o;
  }
}
