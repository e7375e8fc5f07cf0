package news

import (
	"strconv"
	"strings"
)

// The body markup
//
// Reporters type an article body in a light markup that ParseBody turns into
// ordered Blocks and FormatBody writes back in canonical form:
//
//   - CRLF and lone CR line endings become LF, and invalid UTF-8 becomes
//     U+FFFD, before anything else.
//   - Blocks are separated by one or more blank lines (a line holding only
//     whitespace is blank). Every line is trimmed of surrounding whitespace
//     before it is interpreted.
//   - A block whose first line starts with "## " is an intertitle: its Text is
//     the rest of that line. Any further lines of the block form a paragraph
//     of their own.
//   - A block whose lines all start with ">" is a quote. Each line loses the
//     ">" and is trimmed; empty lines are skipped and the rest are joined by
//     single spaces. If the quote has two or more lines and the last starts
//     with "— " or "-- ", that line is the Cite (without the dash), not Text.
//   - A block whose lines all read ![alt text](photo:123) is one figure with
//     one FigurePhoto per line (PhotoID 123, Alt "alt text"). The ID must be
//     a positive decimal number; anything else (photo:abc, an http URL,
//     photo:0) makes the block an ordinary paragraph. Caption, Credit, Width
//     and Height are not part of the markup; the service fills them from the
//     photo records.
//   - A block whose lines all start with "- " is a list; one whose lines
//     all start with a number of one to three digits, a dot and a space
//     ("1. ") is an ordered list. Each line, without its mark, is an item.
//   - The text of paragraphs, quotes and list items is inline markup
//     (bold, italic, links: see ParseInline), kept as typed.
//   - Any other block is a paragraph: its lines joined by single spaces, as
//     the browser reflows Korean prose anyway.
//   - Escape: a paragraph whose first line starts with a backslash loses that
//     one backslash (and any whitespace after it). FormatBody uses this to
//     write a paragraph that would otherwise read as an intertitle, quote or
//     figure, or that itself starts with a backslash: "\## 3분기" is the
//     paragraph "## 3분기". Nothing else is escaped.
//   - Blocks with no text (or no photos) are dropped.
//
// For any blocks b returned by ParseBody, ParseBody(FormatBody(b)) equals b.

const (
	photoLinePrefix = "!["
	photoRefMarker  = "](photo:"
	intertitleMark  = "## "
	quoteMark       = ">"
	escapeMark      = `\`
	citeDash        = "— "
	citeDashASCII   = "-- "
)

// ParseBody turns the newsroom's light markup into ordered body blocks.
func ParseBody(body string) []Block {
	var blocks []Block
	for _, lines := range splitBlocks(body) {
		blocks = appendBlock(blocks, lines)
	}
	return blocks
}

// FormatBody writes blocks back as canonical markup: one block after
// another, separated by a blank line, ending with a newline. Blocks of
// unknown type or without content are skipped; line breaks inside text are
// written as spaces.
func FormatBody(blocks []Block) string {
	var parts []string
	for _, b := range blocks {
		if s := formatBlock(b); s != "" {
			parts = append(parts, s)
		}
	}
	if len(parts) == 0 {
		return ""
	}
	return strings.Join(parts, "\n\n") + "\n"
}

// PhotoRefs returns the photo IDs a body refers to, in order, without duplicates.
func PhotoRefs(body string) []int64 {
	var ids []int64
	seen := make(map[int64]bool)
	for _, b := range ParseBody(body) {
		if b.Type != BlockPhoto {
			continue
		}
		for _, p := range b.Photos {
			if !seen[p.PhotoID] {
				seen[p.PhotoID] = true
				ids = append(ids, p.PhotoID)
			}
		}
	}
	return ids
}

// splitBlocks normalizes body and returns its blocks as trimmed, non-blank
// lines.
func splitBlocks(body string) [][]string {
	body = strings.ReplaceAll(body, "\r\n", "\n")
	body = strings.ReplaceAll(body, "\r", "\n")
	body = strings.ToValidUTF8(body, "\uFFFD")
	var blocks [][]string
	var cur []string
	for line := range strings.SplitSeq(body, "\n") {
		line = strings.TrimSpace(line)
		if line == "" {
			if len(cur) > 0 {
				blocks = append(blocks, cur)
				cur = nil
			}
			continue
		}
		cur = append(cur, line)
	}
	if len(cur) > 0 {
		blocks = append(blocks, cur)
	}
	return blocks
}

// appendBlock interprets one block's lines and appends the result.
func appendBlock(blocks []Block, lines []string) []Block {
	if rest, ok := strings.CutPrefix(lines[0], intertitleMark); ok {
		if t := strings.TrimSpace(rest); t != "" {
			blocks = append(blocks, Block{Type: BlockIntertitle, Text: t})
		}
		if len(lines) > 1 {
			blocks = appendParagraph(blocks, lines[1:])
		}
		return blocks
	}
	if b, ok := parseQuote(lines); ok {
		if b.Text != "" {
			blocks = append(blocks, b)
		}
		return blocks
	}
	if b, ok := parseFigure(lines); ok {
		return append(blocks, b)
	}
	if b, ok := parseList(lines); ok {
		if len(b.Items) > 0 {
			blocks = append(blocks, b)
		}
		return blocks
	}
	return appendParagraph(blocks, lines)
}

func appendParagraph(blocks []Block, lines []string) []Block {
	t := strings.Join(lines, " ")
	if rest, ok := strings.CutPrefix(t, escapeMark); ok {
		t = strings.TrimSpace(rest)
	}
	if t == "" {
		return blocks
	}
	return append(blocks, Block{Type: BlockParagraph, Text: t})
}

// parseQuote reports whether all lines are quote lines and, if so, returns
// the quote (whose Text may be empty).
func parseQuote(lines []string) (Block, bool) {
	var parts []string
	for _, l := range lines {
		rest, ok := strings.CutPrefix(l, quoteMark)
		if !ok {
			return Block{}, false
		}
		if rest = strings.TrimSpace(rest); rest != "" {
			parts = append(parts, rest)
		}
	}
	b := Block{Type: BlockQuote}
	if n := len(parts); n >= 2 {
		last := parts[n-1]
		cite, ok := strings.CutPrefix(last, citeDash)
		if !ok {
			cite, ok = strings.CutPrefix(last, citeDashASCII)
		}
		if ok {
			b.Cite = strings.TrimSpace(cite)
			parts = parts[:n-1]
		}
	}
	b.Text = strings.Join(parts, " ")
	return b, true
}

// parseFigure reports whether all lines are photo lines and, if so, returns
// the figure.
func parseFigure(lines []string) (Block, bool) {
	b := Block{Type: BlockPhoto}
	for _, l := range lines {
		p, ok := parsePhotoLine(l)
		if !ok {
			return Block{}, false
		}
		b.Photos = append(b.Photos, p)
	}
	return b, true
}

const bulletMark = "- "

// orderedItem returns the text after a "12. " mark, if l starts with one.
func orderedItem(l string) (string, bool) {
	i := 0
	for i < len(l) && i < 4 && l[i] >= '0' && l[i] <= '9' {
		i++
	}
	if i == 0 || i > 3 || !strings.HasPrefix(l[i:], ". ") {
		return "", false
	}
	return l[i+2:], true
}

// parseList reports whether all lines are items of one kind of list and,
// if so, returns the list (whose Items may be empty).
func parseList(lines []string) (Block, bool) {
	b := Block{Type: BlockList}
	_, b.Ordered = orderedItem(lines[0])
	for _, l := range lines {
		var item string
		var ok bool
		if b.Ordered {
			item, ok = orderedItem(l)
		} else {
			item, ok = strings.CutPrefix(l, bulletMark)
		}
		if !ok {
			return Block{}, false
		}
		if item = strings.TrimSpace(item); item != "" {
			b.Items = append(b.Items, item)
		}
	}
	return b, true
}

// parsePhotoLine parses a trimmed line of the form ![alt](photo:123). The
// alt text may itself contain "](photo:"; the last occurrence counts.
func parsePhotoLine(l string) (FigurePhoto, bool) {
	if !strings.HasPrefix(l, photoLinePrefix) || !strings.HasSuffix(l, ")") {
		return FigurePhoto{}, false
	}
	i := strings.LastIndex(l, photoRefMarker)
	if i < len(photoLinePrefix) {
		return FigurePhoto{}, false
	}
	digits := l[i+len(photoRefMarker) : len(l)-1]
	if digits == "" {
		return FigurePhoto{}, false
	}
	for j := 0; j < len(digits); j++ {
		if digits[j] < '0' || digits[j] > '9' {
			return FigurePhoto{}, false
		}
	}
	id, err := strconv.ParseInt(digits, 10, 64)
	if err != nil || id <= 0 {
		return FigurePhoto{}, false
	}
	return FigurePhoto{PhotoID: id, Alt: strings.TrimSpace(l[len(photoLinePrefix):i])}, true
}

// oneLine makes s safe to write on a single markup line.
func oneLine(s string) string {
	if strings.ContainsAny(s, "\r\n") {
		s = strings.ReplaceAll(s, "\r\n", " ")
		s = strings.NewReplacer("\r", " ", "\n", " ").Replace(s)
	}
	return strings.TrimSpace(s)
}

func formatBlock(b Block) string {
	switch b.Type {
	case BlockParagraph:
		t := oneLine(b.Text)
		if t == "" {
			return ""
		}
		if needsEscape(t) {
			t = escapeMark + t
		}
		return t
	case BlockIntertitle:
		t := oneLine(b.Text)
		if t == "" {
			return ""
		}
		return intertitleMark + t
	case BlockQuote:
		t, cite := oneLine(b.Text), oneLine(b.Cite)
		if t == "" {
			return ""
		}
		s := quoteMark + " " + t
		if cite != "" {
			s += "\n" + quoteMark + " " + citeDash + cite
		}
		return s
	case BlockList:
		var sb strings.Builder
		n := 0
		for _, it := range b.Items {
			if it = oneLine(it); it == "" {
				continue
			}
			n++
			if sb.Len() > 0 {
				sb.WriteByte('\n')
			}
			if b.Ordered {
				sb.WriteString(strconv.Itoa(n) + ". ")
			} else {
				sb.WriteString(bulletMark)
			}
			sb.WriteString(it)
		}
		return sb.String()
	case BlockPhoto:
		var sb strings.Builder
		for _, p := range b.Photos {
			if p.PhotoID <= 0 {
				continue // not expressible; photo IDs are positive
			}
			if sb.Len() > 0 {
				sb.WriteByte('\n')
			}
			sb.WriteString(photoLinePrefix)
			sb.WriteString(oneLine(p.Alt))
			sb.WriteString(photoRefMarker)
			sb.WriteString(strconv.FormatInt(p.PhotoID, 10))
			sb.WriteByte(')')
		}
		return sb.String()
	}
	return ""
}

// needsEscape reports whether the trimmed, single-line paragraph text t
// would not read back as that same paragraph without a leading backslash.
func needsEscape(t string) bool {
	if strings.HasPrefix(t, intertitleMark) || strings.HasPrefix(t, quoteMark) ||
		strings.HasPrefix(t, escapeMark) || strings.HasPrefix(t, bulletMark) {
		return true
	}
	if _, ok := orderedItem(t); ok {
		return true
	}
	_, ok := parsePhotoLine(t)
	return ok
}

// StoredBody is the body markup a store keeps beside an article's blocks:
// "" when writing the blocks back gives that very markup, as it does for
// imported articles and most typed ones, so that the body is stored once.
// LoadedBody undoes it.
func StoredBody(a *Article) string {
	if a.Body == FormatBody(a.Blocks) {
		return ""
	}
	return a.Body
}

// LoadedBody is an article's body markup from what a store kept.
func LoadedBody(stored string, blocks []Block) string {
	if stored == "" {
		return FormatBody(blocks)
	}
	return stored
}
