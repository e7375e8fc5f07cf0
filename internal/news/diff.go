package news

import "strings"

// Diff operations.
const (
	DiffSame    = "same"
	DiffAdded   = "added"
	DiffRemoved = "removed"
)

// DiffPart is a run of words a revision kept, added or removed. Line breaks
// between blocks are kept inside Text as "\n".
type DiffPart struct {
	Op   string `json:"op"`
	Text string `json:"text"`
}

// maxDiffCells bounds the work of one diff (words of one text times words of
// the other, after the common start and end are cut off).
const maxDiffCells = 4_000_000

// DiffWords compares two texts word by word (a longest common subsequence)
// and returns runs of kept, removed and added words, in reading order:
// removed words come before the added words that replace them.
func DiffWords(old, new string) []DiffPart {
	a, b := words(old), words(new)
	// The common start and end need no table.
	pre := 0
	for pre < len(a) && pre < len(b) && a[pre] == b[pre] {
		pre++
	}
	suf := 0
	for suf < len(a)-pre && suf < len(b)-pre && a[len(a)-1-suf] == b[len(b)-1-suf] {
		suf++
	}
	var parts []DiffPart
	add := func(op, w string) {
		if n := len(parts); n > 0 && parts[n-1].Op == op {
			parts[n-1].Text += sep(parts[n-1].Text, w) + w
			return
		}
		parts = append(parts, DiffPart{Op: op, Text: w})
	}
	for _, w := range a[:pre] {
		add(DiffSame, w)
	}
	ma, mb := a[pre:len(a)-suf], b[pre:len(b)-suf]
	if len(ma)*len(mb) > maxDiffCells {
		// Too different to align word by word: all out, all in.
		for _, w := range ma {
			add(DiffRemoved, w)
		}
		for _, w := range mb {
			add(DiffAdded, w)
		}
	} else {
		// lcs[i][j] is the length of the LCS of ma[i:] and mb[j:].
		n, m := len(ma), len(mb)
		lcs := make([][]int32, n+1)
		for i := range lcs {
			lcs[i] = make([]int32, m+1)
		}
		for i := n - 1; i >= 0; i-- {
			for j := m - 1; j >= 0; j-- {
				if ma[i] == mb[j] {
					lcs[i][j] = lcs[i+1][j+1] + 1
				} else {
					lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
				}
			}
		}
		i, j := 0, 0
		for i < n || j < m {
			switch {
			case i < n && j < m && ma[i] == mb[j]:
				add(DiffSame, ma[i])
				i, j = i+1, j+1
			case j == m || (i < n && lcs[i+1][j] >= lcs[i][j+1]):
				add(DiffRemoved, ma[i])
				i++
			default:
				add(DiffAdded, mb[j])
				j++
			}
		}
	}
	for _, w := range a[len(a)-suf:] {
		add(DiffSame, w)
	}
	return parts
}

// words splits text into words, keeping each line break as a word of its
// own so that the diff can show paragraphs.
func words(s string) []string {
	var out []string
	for i, line := range strings.Split(s, "\n") {
		if i > 0 {
			out = append(out, "\n")
		}
		out = append(out, strings.Fields(line)...)
	}
	return out
}

func sep(prev, w string) string {
	if w == "\n" || strings.HasSuffix(prev, "\n") {
		return ""
	}
	return " "
}
