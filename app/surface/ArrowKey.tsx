import { arrowFloor, arrowKey, arrowLength, type ArrowScale } from './mapScales';
import { sciFormat } from '../../src/domain/numberText';
import './ArrowKey.css';

const fmt = sciFormat({ digits: 2, exponentDigits: 0, smallest: 0.001, largest: 1e4, trim: true });
const BOX = 26;

/** One arrow of the key on a patch of the maps' dark end, drawn as the maps draw it. */
function KeyArrow({ length }: { length: number | null }) {
  const y = BOX / 2 - 4;
  const x0 = 5;
  return (
    <svg width={BOX} height={BOX - 8} aria-hidden="true">
      <rect width={BOX} height={BOX - 8} rx={2} className="key-map" />
      {length === null ? (
        <circle cx={x0 + 2} cy={y} r={1.2} fill="white" />
      ) : (
        <g stroke="white" fill="white" strokeWidth={1.2}>
          <line x1={x0} y1={y} x2={x0 + length} y2={y} />
          <path d={`M${x0 + length + 1.5},${y}L${x0 + length - 2.5},${y - 2}L${x0 + length - 2.5},${y + 2}Z`} strokeWidth={0} />
        </g>
      )}
    </svg>
  );
}

/** The arrows' length scale, shared by every map: an arrow per decade of |∇L| and the dot below the floor. */
export function ArrowKey({ scale }: { scale: ArrowScale }) {
  return (
    <div className="arrow-key" data-testid="arrow-key">
      <span>Arrow length, |∇L| over (z_fg, z_bg), one log scale for every map:</span>
      {arrowKey(scale).map((g) => (
        <span key={g} className="key-item">
          <KeyArrow length={arrowLength(g, scale)} /> {fmt(g)}
        </span>
      ))}
      <span className="key-item">
        <KeyArrow length={null} /> below {fmt(arrowFloor(scale))}: vanished
      </span>
    </div>
  );
}
