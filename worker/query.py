"""The topic query language (PRODUCT.md "Matching semantics" rule 4) and its parser.

    query   := or
    or      := and ("OR" and)*
    and     := unary (["AND"] unary | "NOT" unary)*      a NOT b  means  a AND NOT b
    unary   := "NOT" unary | near
    near    := primary ("NEAR/" n primary)*              both sides at most n words apart (neighbours: 1)
    primary := "(" or ")" | "quoted phrase" | words

Operators are upper-case. Bare words next to each other form one phrase (व्लादिमीर पुतिन), matched with Hindi
inflection (वार्ता matches वार्ताओं); a trailing ``*`` makes the last word a prefix (प्रतिबंध*); a
"quoted phrase" matches exactly as written (after normalization), with no inflection. Errors point at the column.

A true query counts the term hits that made it true: every hit of a true OR branch, of every AND operand, and of
each NEAR side that has a partner close enough (in the same field); NOT contributes none.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from worker.hindi.normalize import key

TermMode = Literal["stem", "exact", "prefix"]
_OPERATORS = frozenset({"OR", "AND", "NOT"})
_NEAR = re.compile(r"NEAR/(\S*)")
_MAX_NEAR_WORDS = 1000


class QuerySyntaxError(ValueError):
    """A topic query that does not parse; the message names the column (1-based, in code points)."""

    def __init__(self, message: str, column: int) -> None:
        super().__init__(f"{message} at column {column}")
        self.column = column


@dataclass(frozen=True)
class Term:
    text: str  # as written in the query, for reports
    words: tuple[str, ...]  # normalized words
    mode: TermMode
    column: int


@dataclass(frozen=True)
class Or:
    items: tuple[Node, ...]


@dataclass(frozen=True)
class And:
    items: tuple[Node, ...]


@dataclass(frozen=True)
class Not:
    item: Node


@dataclass(frozen=True)
class Near:
    left: Node
    right: Node
    distance: int


Node = Term | Or | And | Not | Near


@dataclass(frozen=True)
class _Lexeme:
    kind: Literal["(", ")", "OR", "AND", "NOT", "NEAR", "QUOTED", "WORD", "END"]
    text: str
    column: int
    distance: int = 0


def parse_query(query: str) -> Node:
    """The syntax tree of ``query``; raises QuerySyntaxError naming the column of the first problem."""
    parser = _Parser(_lex(query))
    node = parser.parse()
    if not _can_match(node):
        raise QuerySyntaxError("the query only says what must be absent; add a word it must contain", 1)
    return node


def terms(node: Node) -> list[Term]:
    """Every term of the query, left to right."""
    if isinstance(node, Term):
        return [node]
    if isinstance(node, Not):
        return terms(node.item)
    if isinstance(node, Near):
        return terms(node.left) + terms(node.right)
    return [term for item in node.items for term in terms(item)]


def _can_match(node: Node) -> bool:
    """False for a query that could only be true by absence (NOT x): it would match every article."""
    if isinstance(node, Not):
        return False
    if isinstance(node, Or):
        return all(_can_match(item) for item in node.items)
    if isinstance(node, And):
        return any(_can_match(item) for item in node.items)
    return True


def _lex(query: str) -> list[_Lexeme]:
    lexemes: list[_Lexeme] = []
    index = 0
    while index < len(query):
        char = query[index]
        if char.isspace():
            index += 1
        elif char in "()":
            lexemes.append(_Lexeme(char, char, index + 1))  # type: ignore[arg-type]
            index += 1
        elif char == '"':
            index = _lex_quoted(query, index, lexemes)
        else:
            index = _lex_word(query, index, lexemes)
    lexemes.append(_Lexeme("END", "", len(query) + 1))
    return lexemes


def _lex_quoted(query: str, index: int, lexemes: list[_Lexeme]) -> int:
    close = query.find('"', index + 1)
    if close == -1:
        raise QuerySyntaxError("unterminated quote", index + 1)
    lexemes.append(_Lexeme("QUOTED", query[index + 1 : close], index + 1))
    return close + 1


def _lex_word(query: str, index: int, lexemes: list[_Lexeme]) -> int:
    end = index
    while end < len(query) and not query[end].isspace() and query[end] not in '()"':
        end += 1
    word = query[index:end]
    near = _NEAR.fullmatch(word)
    if near:
        lexemes.append(_Lexeme("NEAR", word, index + 1, _near_distance(near.group(1), index + 1)))
    elif word in _OPERATORS:
        lexemes.append(_Lexeme(word, word, index + 1))  # type: ignore[arg-type]
    else:
        lexemes.append(_Lexeme("WORD", word, index + 1))
    return end


def _near_distance(digits: str, column: int) -> int:
    if not digits.isdigit() or not 1 <= int(digits) <= _MAX_NEAR_WORDS:
        raise QuerySyntaxError(f"NEAR needs a number of words from 1 to {_MAX_NEAR_WORDS}, like NEAR/5,", column)
    return int(digits)


class _Parser:
    def __init__(self, lexemes: list[_Lexeme]) -> None:
        self.lexemes = lexemes
        self.position = 0

    @property
    def current(self) -> _Lexeme:
        return self.lexemes[self.position]

    def advance(self) -> _Lexeme:
        lexeme = self.current
        self.position += 1
        return lexeme

    def parse(self) -> Node:
        if self.lexemes[0].kind == "END":
            raise QuerySyntaxError("empty query", 1)
        node = self.parse_or()
        rest = self.current
        if rest.kind == ")":
            raise QuerySyntaxError("unbalanced parenthesis", rest.column)
        if rest.kind != "END":
            raise QuerySyntaxError(f"expected AND, OR, NOT or NEAR/n before {rest.text!r}", rest.column)
        return node

    def parse_or(self) -> Node:
        items = [self.parse_and()]
        while self.current.kind == "OR":
            self.advance()
            items.append(self.parse_and())
        return items[0] if len(items) == 1 else Or(tuple(items))

    def parse_and(self) -> Node:
        items = [self.parse_unary()]
        while self.current.kind in ("AND", "NOT"):
            if self.advance().kind == "NOT":
                items.append(Not(self.parse_unary()))
            else:
                items.append(self.parse_unary())
        return items[0] if len(items) == 1 else And(tuple(items))

    def parse_unary(self) -> Node:
        if self.current.kind == "NOT":
            self.advance()
            return Not(self.parse_unary())
        return self.parse_near()

    def parse_near(self) -> Node:
        node = self.parse_primary()
        while self.current.kind == "NEAR":
            operator = self.advance()
            right = self.parse_primary()
            for side in (node, right):
                if not _positional(side):
                    raise QuerySyntaxError("NEAR/n joins words, phrases or OR-groups of them", operator.column)
            node = Near(node, right, operator.distance)
        return node

    def parse_primary(self) -> Node:
        lexeme = self.current
        if lexeme.kind == "(":
            return self.parse_group()
        if lexeme.kind == "QUOTED":
            self.advance()
            return _term(lexeme.text, "exact", lexeme.column + 1)
        if lexeme.kind == "WORD":
            return self.parse_words()
        if lexeme.kind == ")":
            raise QuerySyntaxError("unbalanced parenthesis", lexeme.column)
        where = f"instead of {lexeme.text!r}" if lexeme.text else "at the end"
        raise QuerySyntaxError(f"expected a word, a quoted phrase or ( {where}", lexeme.column)

    def parse_group(self) -> Node:
        opening = self.advance()
        node = self.parse_or()
        if self.current.kind != ")":
            raise QuerySyntaxError("unbalanced parenthesis", opening.column)
        self.advance()
        return node

    def parse_words(self) -> Node:
        first = self.current
        words: list[_Lexeme] = []
        while self.current.kind == "WORD":
            words.append(self.advance())
        for word in words[:-1]:
            if "*" in word.text:
                raise QuerySyntaxError("`*` goes only at the end of the last word", word.column)
        text = " ".join(word.text for word in words)
        if "*" in text[:-1]:
            raise QuerySyntaxError("`*` goes only at the end of a word", first.column + text.index("*"))
        if text.endswith("*"):
            return _term(text[:-1], "prefix", first.column, shown=text)
        return _term(text, "stem", first.column)


def _term(text: str, mode: TermMode, column: int, *, shown: str | None = None) -> Term:
    normalized = key(text)
    if not normalized:
        raise QuerySyntaxError(f"{(shown or text)!r} has no letters or digits to match", column)
    if mode == "prefix" and text.rstrip() != text:
        raise QuerySyntaxError("`*` must follow a letter", column)
    return Term(shown or text, tuple(normalized.split(" ")), mode, column)


def _positional(node: Node) -> bool:
    if isinstance(node, Or):
        return all(_positional(item) for item in node.items)
    return isinstance(node, Term | Near)
