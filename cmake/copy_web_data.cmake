# cmake -P helper: the image data sets the page may fetch, into <www>/data. MNIST as built;
# Fashion-MNIST as its documented web subset (fashionNN-web-*.glds), under the plain names the
# page asks for (fashionNN-train.glds / fashionNN-test.glds). Inputs: DATA, OUT.
file(MAKE_DIRECTORY ${OUT})
foreach(side 28 14 10)
  foreach(split train test)
    file(COPY_FILE ${DATA}/mnist${side}-${split}.glds ${OUT}/mnist${side}-${split}.glds ONLY_IF_DIFFERENT)
    file(COPY_FILE ${DATA}/fashion${side}-web-${split}.glds ${OUT}/fashion${side}-${split}.glds ONLY_IF_DIFFERENT)
  endforeach()
endforeach()
