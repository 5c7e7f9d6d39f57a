// The exercise figure in the browser. `data` is what supine.library.figure.animation_data
// returns. poseAt and jointPositions repeat figure.py operation for operation (same
// easing, same order of arithmetic, same rounding), so at every keyframe the animation
// draws exactly the picture the server rendered; change the two together.

const RAD = Math.PI / 180;
const REDUCED_STEP_MS = 3000;

// Smoothstep: plain arithmetic, so both sides compute the same bits.
const ease = (s) => s * s * (3 - 2 * s);
const mix = (a, b, e) => a + (b - a) * e;

export function poseAt(data, tMs) {
  const frames = data.keyframes;
  let t = tMs % data.periodMs;
  if (t < 0) t += data.periodMs;
  let start = 0;
  for (let i = 0; i < frames.length; i += 1) {
    const frame = frames[i];
    const end = start + frame.holdMs + frame.ms;
    if (t < end || i === frames.length - 1) {
      const moving = t - start - frame.holdMs;
      if (moving <= 0) return frame;
      const e = ease(Math.min(moving / frame.ms, 1));
      const next = frames[(i + 1) % frames.length];
      const angles = {};
      for (const joint of data.joints) angles[joint] = mix(frame.angles[joint], next.angles[joint], e);
      const scale = {};
      for (const seg of data.segments) {
        scale[seg.name] = mix(frame.scale[seg.name], next.scale[seg.name], e);
      }
      return {
        angles,
        root: [mix(frame.root[0], next.root[0], e), mix(frame.root[1], next.root[1], e)],
        scale,
      };
    }
    start = end;
  }
  throw new Error("figure has no keyframes");
}

function step(p, length, deg) {
  const r = deg * RAD;
  return [p[0] + length * Math.cos(r), p[1] + length * Math.sin(r)];
}

export function jointPositions(data, pose) {
  const a = pose.angles;
  const len = {};
  for (const seg of data.segments) len[seg.name] = seg.length * pose.scale[seg.name];
  const lower = a.trunk;
  const upper = lower - a.spine;
  const hip = [0, 0];
  const waist = step(hip, len.torso_lower, lower);
  const shoulder = step(waist, len.torso_upper, upper);
  const out = { hip, waist, shoulder };
  out.head = step(shoulder, len.neck, upper - a.neck);
  for (const [side, sign] of [["near", 1], ["far", -1]]) {
    const s = step(shoulder, sign * data.halfWidths.shoulder, upper - 90);
    const arm = upper + 180 + a[`shoulder_${side}`];
    const fore = arm + a[`elbow_${side}`];
    out[`shoulder_${side}`] = s;
    out[`elbow_${side}`] = step(s, len[`upper_arm_${side}`], arm);
    out[`hand_${side}`] = step(out[`elbow_${side}`], len[`forearm_${side}`], fore);
    const h = step(hip, sign * data.halfWidths.hip, lower - 90);
    const thigh = lower + 180 + a[`hip_${side}`];
    const shin = thigh - a[`knee_${side}`];
    const foot = shin + 90 + a[`ankle_${side}`];
    out[`hip_${side}`] = h;
    out[`knee_${side}`] = step(h, len[`thigh_${side}`], thigh);
    out[`ankle_${side}`] = step(out[`knee_${side}`], len[`shin_${side}`], shin);
    out[`toe_${side}`] = step(out[`ankle_${side}`], len[`foot_${side}`], foot);
    const ball = step(out[`ankle_${side}`], 0.7 * len[`foot_${side}`], foot);
    out[`sole_${side}`] = step(ball, data.soleDepth, foot - 90);
  }
  const dx = pose.root[0] - out[data.anchor][0];
  const dy = pose.root[1] - out[data.anchor][1];
  const moved = {};
  for (const [name, [x, y]] of Object.entries(out)) moved[name] = [x + dx, y + dy];
  return moved;
}

// Round half up to one decimal and drop a trailing ".0", as figure_svg.fmt does.
export function fmt(value) {
  const tenths = Math.floor(value * 10 + 0.5);
  return tenths % 10 === 0 ? String(tenths / 10) : (tenths / 10).toFixed(1);
}

function setLine(el, a, b) {
  el.setAttribute("x1", fmt(a[0]));
  el.setAttribute("y1", fmt(-a[1]));
  el.setAttribute("x2", fmt(b[0]));
  el.setAttribute("y2", fmt(-b[1]));
}

export function torsoPath(hip, waist, shoulder) {
  // A quadratic curve through the waist, as figure_svg.torso_path draws it.
  const cx = 2 * waist[0] - (hip[0] + shoulder[0]) / 2;
  const cy = 2 * waist[1] - (hip[1] + shoulder[1]) / 2;
  const pt = (x, y) => `${fmt(x)} ${fmt(-y)}`;
  return `M${pt(...hip)}Q${pt(cx, cy)} ${pt(...shoulder)}`;
}

export function drawPose(svg, data, pose) {
  const pos = jointPositions(data, pose);
  const ends = Object.fromEntries(data.segments.map((s) => [s.name, [s.start, s.end]]));
  for (const el of svg.querySelectorAll("[data-seg]")) {
    const seg = el.getAttribute("data-seg");
    if (seg === "torso") {
      el.setAttribute("d", torsoPath(pos.hip, pos.waist, pos.shoulder));
    } else if (seg === "head") {
      el.setAttribute("cx", fmt(pos.head[0]));
      el.setAttribute("cy", fmt(-pos.head[1]));
    } else if (ends[seg]) {
      setLine(el, pos[ends[seg][0]], pos[ends[seg][1]]);
    }
  }
  for (const el of svg.querySelectorAll('[data-prop="towel"]')) {
    const from = pos[el.getAttribute("data-from")];
    const to = pos[el.getAttribute("data-to")];
    if (from && to) setLine(el, from, to);
  }
}

function prefersReducedMotion() {
  return Boolean(window.matchMedia?.("(prefers-reduced-motion: reduce)").matches);
}

// Returns a function that stops the animation and leaves the figure where it is.
export function animateFigure(svg, data, { reducedMotion = prefersReducedMotion() } = {}) {
  if (reducedMotion) {
    // No tweening: each keyframe shown still for a few seconds, then the next.
    let index = 0;
    drawPose(svg, data, data.keyframes[0]);
    const timer = setInterval(() => {
      index = (index + 1) % data.keyframes.length;
      drawPose(svg, data, data.keyframes[index]);
    }, REDUCED_STEP_MS);
    return () => clearInterval(timer);
  }
  const started = performance.now();
  let request = 0;
  const tick = (now) => {
    drawPose(svg, data, poseAt(data, now - started));
    request = requestAnimationFrame(tick);
  };
  request = requestAnimationFrame(tick);
  return () => cancelAnimationFrame(request);
}
