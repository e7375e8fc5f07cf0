package web

import (
	"fmt"
	"strings"

	"jikji/internal/news"
)

// describe is a page's meta description: what a search result or a shared
// link says of it. The article page writes its own, from the story.
func describe(name, title string, site news.Site, data any) string {
	switch name {
	case "article":
		return ""
	case "home":
		if site.Description != "" {
			return site.Description
		}
		if site.Slogan != "" {
			return site.Name + " — " + site.Slogan + ". 오늘의 주요 뉴스와 속보, 섹션별 최신 기사."
		}
		return site.Name + ": 오늘의 주요 뉴스와 속보, 섹션별 최신 기사."
	case "list":
		if lv, ok := data.(listView); ok {
			switch {
			case lv.Section.Slug != "":
				return fmt.Sprintf("%s %s 섹션의 최신 기사.", site.Name, lv.Section.Name)
			case lv.Reporter.ID != 0:
				d := fmt.Sprintf("%s %s %s의 기사.", site.Name, lv.Reporter.Name, lv.Reporter.Role)
				if lv.Reporter.Bio != "" {
					d += " " + lv.Reporter.Bio
				}
				return d
			}
		}
	case "ranking":
		return site.Name + "에서 지금 많이 본 뉴스와 댓글 많은 뉴스."
	case "comments":
		if av, ok := data.(articleView); ok {
			return fmt.Sprintf("「%s」 기사에 달린 독자 댓글 %d개.", av.Article.Headline, av.Article.CommentCount)
		}
	}
	if strings.HasPrefix(name, "newsroom") {
		return site.Name + " 뉴스룸: " + title + "."
	}
	if title != "" {
		return title + " | " + site.Name
	}
	return site.Name
}
