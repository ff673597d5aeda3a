// Every loss belongs to a family, and a family has one colour: the page draws a loss in its family's colour in
// every view (the race, the tour, the surfaces, the landscape, the exports, the embeds), and the tour's text can
// name that colour ("the blue line"). Data only, importing nothing, so that a loss's definition can name its
// family: the page turns these into shades (app/lossColor.ts), and familyOf.ts finds the family of a loss.
export interface LossFamily {
  /** What the family is, in words. */
  label: string;
  /** Its colour, at a lightness that keeps 3:1 contrast on the light and the dark cards alike. */
  colour: string;
  /** The colour's name, for text that points at a line ("the blue line"). */
  colourName: string;
}

export const LOSS_FAMILIES = {
  softIoU: { label: '1 − IoU', colour: '#0383d3', colourName: 'blue' },
  logIoU: { label: '−log IoU', colour: '#c95900', colourName: 'orange' },
  crossEntropy: { label: 'cross-entropy', colour: '#019009', colourName: 'green' },
  dice: { label: 'Dice', colour: '#8766ed', colourName: 'purple' },
  tversky: { label: 'Tversky', colour: '#dd2da0', colourName: 'pink' },
  focal: { label: 'focal loss', colour: '#098c85', colourName: 'teal' },
  lovasz: { label: 'Lovász', colour: '#e5334b', colourName: 'red' },
  combination: { label: 'combinations', colour: '#8e7b04', colourName: 'olive' },
} as const satisfies Record<string, LossFamily>;

export type LossFamilyId = keyof typeof LOSS_FAMILIES;
