/**
 * `conversations`: one row per conversation, derived from `conversation_items` (Gladly's
 * export has no conversations file). Portable SQL only, so it runs on DuckDB and
 * PostgreSQL alike: window functions, `count(*) FILTER (WHERE ...)`, `min`/`max`, and `->>`
 * on the JSON `content` column; everything else uses the plain columns the stream exposes
 * (`content_type`, `initiator_type`, ...). Items without a conversation (some customer
 * activities) are left out.
 */
import type { ViewDefinition } from '../source.ts';

/** Content types that are a message or call on a channel, as opposed to notes, status or topic changes and activities. */
export const CHANNEL_TYPES = [
  'CHAT_MESSAGE', 'EMAIL', 'SMS', 'PHONE_CALL', 'VOICEMAIL', 'VOICE_AI_MESSAGE',
  'FACEBOOK_MESSAGE', 'INSTAGRAM_DIRECT', 'TWITTER', 'WHATSAPP',
] as const;

const channels = `(${CHANNEL_TYPES.map((t) => `'${t}'`).join(', ')})`;
const STATUS_CHANGE = `'CONVERSATION_STATUS_CHANGE'`;

export const conversationsView: ViewDefinition = {
  name: 'conversations',
  description:
    'One row per conversation from conversation_items: customer, channel (first message or call), first and last item time, ' +
    'first customer and agent message, item counts, status changes with the current status, topic changes and topics added',
  dependsOn: ['conversation_items'],
  sql: (tables) => `WITH items AS (
  SELECT
    i."conversationId" AS conversation_id,
    i."customerId" AS customer_id,
    i."timestamp" AS item_at,
    i.content_type,
    i.initiator_type,
    i._job_updated_at,
    CASE WHEN i.content_type = ${STATUS_CHANGE} THEN (i.content ->> 'status') END AS status,
    CASE WHEN i.content_type = 'TOPIC_CHANGE' THEN (i.content ->> 'addedTopicIds') END AS added_topics,
    row_number() OVER (PARTITION BY i."conversationId"
      ORDER BY CASE WHEN i.content_type IN ${channels} THEN 0 ELSE 1 END, i."timestamp", i.id) AS channel_rank,
    row_number() OVER (PARTITION BY i."conversationId"
      ORDER BY CASE WHEN i.content_type = ${STATUS_CHANGE} THEN 0 ELSE 1 END, i."timestamp" DESC, i.id DESC) AS status_rank
  FROM ${tables.conversation_items} i
  WHERE i."conversationId" IS NOT NULL
)
SELECT
  conversation_id,
  min(customer_id) AS customer_id,
  max(CASE WHEN channel_rank = 1 AND content_type IN ${channels} THEN content_type END) AS channel,
  min(item_at) AS first_item_at,
  max(item_at) AS last_item_at,
  min(item_at) FILTER (WHERE initiator_type = 'CUSTOMER' AND content_type IN ${channels}) AS first_customer_message_at,
  min(item_at) FILTER (WHERE initiator_type = 'AGENT' AND content_type IN ${channels}) AS first_agent_message_at,
  count(*) AS items,
  count(*) FILTER (WHERE initiator_type = 'CUSTOMER') AS customer_items,
  count(*) FILTER (WHERE initiator_type = 'AGENT') AS agent_items,
  count(*) FILTER (WHERE content_type = 'CONVERSATION_NOTE') AS notes,
  count(*) FILTER (WHERE content_type = ${STATUS_CHANGE}) AS status_changes,
  max(CASE WHEN status_rank = 1 THEN status END) AS status,
  max(item_at) FILTER (WHERE status = 'CLOSED') AS last_closed_at,
  count(*) FILTER (WHERE content_type = 'TOPIC_CHANGE') AS topic_changes,
  -- Topic ids added over the conversation. Counted from the array's text (ids hold no commas):
  -- no JSON array-length function exists in both DuckDB and PostgreSQL.
  CAST(coalesce(sum(CASE WHEN added_topics LIKE '%"%' THEN length(added_topics) - length(replace(added_topics, ',', '')) + 1 END), 0) AS BIGINT) AS topics_added,
  max(_job_updated_at) AS _job_updated_at
FROM items
GROUP BY conversation_id`,
};
