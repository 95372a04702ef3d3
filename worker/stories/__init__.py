"""Story identity: which articles are copies or close rewrites of one story (issue 10).

``assign_story(index, StoryInput(...), now)`` gives an article the story of an earlier one in the window, or a
new story; the index is shared by every worker through the store (:func:`open_story_index`).
"""

from worker.stories.assign import StoryAssignment, StoryInput, assign_story
from worker.stories.index import DEFAULT_WINDOW_S, MemoryIndex, StoryIndex

__all__ = ["DEFAULT_WINDOW_S", "MemoryIndex", "StoryAssignment", "StoryIndex", "StoryInput", "assign_story"]
