package io.emojivoto.web;

import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;

/** The UI is one static page; its routes (vote grid, leaderboard) are client-side. */
@Controller
class PageController {

    @GetMapping({"/", "/leaderboard"})
    String page() {
        return "forward:/index.html";
    }
}
