"""What each chat platform accepts, as published by the platforms, and the budgets we keep inside them.

Character limits are counted in UTF-16 code units (what the JavaScript-based platforms count; never fewer
than code points), byte limits on the UTF-8 JSON body as sent.
"""

from __future__ import annotations

# Slack Block Kit: a section's text and the number of blocks in one message.
SLACK_SECTION_MAX_CHARS = 3_000
SLACK_BLOCKS_MAX = 50
SLACK_FALLBACK_MAX_CHARS = 3_000  # the top-level `text`: shown in notifications, so kept short

# Discord embeds and messages.
DISCORD_CONTENT_MAX_CHARS = 2_000
DISCORD_EMBED_TITLE_MAX_CHARS = 256
DISCORD_EMBED_DESCRIPTION_MAX_CHARS = 4_096
DISCORD_EMBED_AUTHOR_MAX_CHARS = 256
DISCORD_EMBED_FOOTER_MAX_CHARS = 2_048
DISCORD_EMBED_TOTAL_MAX_CHARS = 6_000
DISCORD_EMBEDS_MAX = 10

# Telegram Bot API sendMessage: the text after entity parsing (we count the HTML as written, a safe over-count).
TELEGRAM_TEXT_MAX_CHARS = 4_096

# Teams Workflows webhooks reject bodies of about 28 KB with 413; some paths count UTF-16, so we keep well under.
TEAMS_PAYLOAD_MAX_BYTES = 28_000
TEAMS_PAYLOAD_BUDGET_BYTES = 20_000

# Google Chat: one message, text and cards together.
GOOGLECHAT_MESSAGE_MAX_BYTES = 32_000
GOOGLECHAT_PAYLOAD_BUDGET_BYTES = 24_000

# Mattermost: a post's message (server default since 5.0).
MATTERMOST_TEXT_MAX_CHARS = 16_383

# The generic webhook: receivers commonly cap request bodies at 20 KB or more.
WEBHOOK_PAYLOAD_MAX_BYTES = 20_000

# Our own budgets inside those limits, so one long field never crowds out the rest of a message.
# Escaping can grow text up to five-fold (& → &amp;); these are chosen so that even then the fixed parts of
# every message fit beside each other with room left for the snippet.
TITLE_BUDGET_CHARS = 600
OUTLET_MAX_CHARS = 80
HEADING_BUDGET_CHARS = 2_000  # title, link and byline together, escaped
MATCHES_BUDGET_CHARS = 1_000
SNIPPET_BUDGET_CHARS = 2_000
URL_MAX_CHARS = 1_000  # escaped; a longer article URL is shown without a link rather than crowding out the text
