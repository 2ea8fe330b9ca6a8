// Example course page behaviour: "start again" buttons that reload one playground with its
// original link, and a visible note when a frame does not hold a GenLab page (for example when
// this folder was not deployed next to the playground, see the comment in index.html).

for (const button of document.querySelectorAll('button.reload')) {
  button.addEventListener('click', () => {
    const frame = document.getElementById(button.dataset.frame);
    const src = frame.getAttribute('src');
    frame.src = 'about:blank';
    requestAnimationFrame(() => { frame.src = src; });
  });
}

const note = document.getElementById('course-note');
for (const frame of document.querySelectorAll('.frame iframe')) {
  frame.addEventListener('load', () => {
    if (frame.src === 'about:blank') return;
    let ok = false;
    try {
      ok = /GenLab/.test(frame.contentDocument?.title ?? '');
    } catch {
      ok = true;   // another origin: it is not ours to inspect
    }
    if (!ok) note.textContent = `The playground “${frame.title}” did not load: is this course folder served next to GenLab's index.html?`;
  });
}
