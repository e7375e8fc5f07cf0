package wordpress

import "strings"

// Attachment is what an attachment item says of its photo.
type Attachment struct {
	ID      int64
	Parent  int64
	URL     string
	File    string // under wp-content/uploads: "2024/03/photo.jpg"
	Caption string // the attachment's caption (its excerpt)
	Credit  string // its description, which newsrooms use for the credit
	Alt     string
	Title   string
}

// AttachmentOf reads an attachment item.
func AttachmentOf(it Item) Attachment {
	a := Attachment{ID: it.PostID, Parent: it.Parent, URL: it.AttachmentURL, Title: it.Title,
		Caption: oneLine(PlainHTML(it.Excerpt)), Credit: oneLine(PlainHTML(it.Content)),
		Alt: strings.TrimSpace(it.Meta["_wp_attachment_image_alt"])}
	if a.URL == "" {
		a.URL = it.GUID
	}
	a.File = strings.TrimPrefix(strings.TrimSpace(it.Meta["_wp_attached_file"]), "/")
	if a.File == "" {
		a.File, _ = UploadsPath(a.URL)
	}
	return a
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }
