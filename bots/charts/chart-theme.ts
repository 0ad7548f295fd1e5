/**
 * The look shared by every chart: the one shipped font, a light background,
 * colours that stay apart for colour-blind readers (greens for progress, a
 * blue and an orange for team figures) and the text sizes.
 */
import { fileURLToPath } from "node:url";

/** The only font the rasteriser loads: DejaVu Sans cut to the scripts charts need (see fonts/LICENSE-DejaVu.txt). */
export const FONT_FILE = fileURLToPath(new URL("./fonts/DejaVuSans-subset.ttf", import.meta.url));
export const FONT_FAMILY = "DejaVu Sans";

export const BACKGROUND = "#ffffff";
export const TEXT = "#1f2328";
export const MUTED_TEXT = "#59636e";
export const GRID_LINE = "#e6e8eb";

/** Heatmap levels 0..4, as on a contributions graph. */
export const HEAT_COLOURS = ["#ebedf0", "#9be9a8", "#40c463", "#30a14e", "#216e39"] as const;

export const MASTERY_COLOURS = { mastered: "#216e39", seen: "#9be9a8", notSeen: "#d0d7de" } as const;

export const TEAM_COLOURS = { answers: "#4c78a8", learners: "#72b7b2", accuracy: "#f58518" } as const;

export const TITLE_STYLE = { color: TEXT, fontFamily: FONT_FAMILY, fontSize: 18, fontWeight: "normal" as const };
export const LABEL_STYLE = { color: MUTED_TEXT, fontFamily: FONT_FAMILY, fontSize: 12 };

/** Options every chart starts from. */
export const BASE_OPTION = {
  animation: false,
  backgroundColor: BACKGROUND,
  textStyle: { fontFamily: FONT_FAMILY, color: TEXT },
};
